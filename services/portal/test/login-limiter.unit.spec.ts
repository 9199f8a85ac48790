import { LoginLimiter } from '../src/domain/login-limiter';

describe('LoginLimiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a key fail up to the limit, then refuses until its oldest failure leaves the window', () => {
    const limiter = new LoginLimiter(3, 60_000, 100, clock);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('ana|10.0.0.1')).toBe(0);
      limiter.recordFailure('ana|10.0.0.1');
      now += 10_000;
    }
    // Failures at 0 s, 10 s and 20 s; now is 30 s: the first leaves the window at 60 s.
    expect(limiter.retryAfterSeconds('ana|10.0.0.1')).toBe(30);
    expect(limiter.retryAfterSeconds('ana|10.0.0.2')).toBe(0);
    expect(limiter.retryAfterSeconds('bob|10.0.0.1')).toBe(0);
    now += 29_999;
    expect(limiter.retryAfterSeconds('ana|10.0.0.1')).toBe(1);
    now += 1;
    expect(limiter.retryAfterSeconds('ana|10.0.0.1')).toBe(0);
    // Two failures are still in the window: one more reaches the limit again.
    limiter.recordFailure('ana|10.0.0.1');
    expect(limiter.retryAfterSeconds('ana|10.0.0.1')).toBe(10);
  });

  it('forgets keys whose failures are all old, and keeps at most maxKeys', () => {
    const limiter = new LoginLimiter(1, 60_000, 2, clock);
    limiter.recordFailure('a');
    limiter.recordFailure('b');
    limiter.recordFailure('c');
    expect(limiter.size).toBe(2);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    expect(limiter.retryAfterSeconds('b')).toBe(60);
    expect(limiter.retryAfterSeconds('c')).toBe(60);
    now += 60_001;
    expect(limiter.size).toBe(2);
    limiter.sweep();
    expect(limiter.size).toBe(0);
  });
});

import { mayOpen, navigationFor, pageAt, pathOf, startPage } from '../src/routes';

/** The web application's addresses: which page a path opens, for whom, and the links it makes. */
describe('the web application’s pages', () => {
  it('opens each role’s own work at /', () => {
    expect(startPage(['region'])).toBe('region');
    expect(startPage(['programme-manager'])).toBe('calls');
    expect(startPage(['reviewer'])).toBe('reviews');
    expect(startPage(['approver'])).toBe('decisions');
    expect(startPage(['expert'])).toBe('assignments');
    expect(startPage(['auditor'])).toBe('audit');
    expect(startPage(['service'])).toBe('home');
    expect(pageAt('/', ['auditor'])).toEqual({ page: 'audit', params: {} });
  });

  it('reads a page’s parameters from its path, decoded, and prefers a fixed path to a parameter', () => {
    expect(pageAt('/pilots/app%2F1', ['region'])).toEqual({ page: 'pilot', params: { id: 'app/1' } });
    expect(pageAt('/calls/new', ['programme-manager'])).toEqual({ page: 'callNew', params: {} });
    expect(pageAt('/calls/c1', ['programme-manager'])).toEqual({ page: 'call', params: { id: 'c1' } });
    expect(pageAt('/calls/c1/apply/', ['region'])).toEqual({
      page: 'applicationNew',
      params: { callId: 'c1' },
    });
    expect(pageAt('/pilots/%E0%A4%A', ['region'])).toBeUndefined();
    expect(pageAt('/nowhere', ['region'])).toBeUndefined();
    expect(pageAt('/pilots/', ['region'])).toEqual({ page: 'pilots', params: {} });
  });

  it('builds links with their parameters encoded, and refuses one without them', () => {
    expect(pathOf('pilot', { id: 'a b/c' })).toBe('/pilots/a%20b%2Fc');
    expect(pathOf('applicationNew', { callId: 'c1' })).toBe('/calls/c1/apply');
    expect(() => pathOf('pilot')).toThrow('no id');
  });

  it('offers each role only its pages, and never another role’s', () => {
    expect(navigationFor(['region']).map(({ page }) => page)).toEqual(['region', 'notifications']);
    expect(navigationFor(['auditor']).map(({ page }) => page)).toEqual([
      'pilots',
      'milestones',
      'audit',
      'dashboard',
      'notifications',
    ]);
    expect(mayOpen('audit', ['region'])).toBe(false);
    expect(mayOpen('callNew', ['region'])).toBe(false);
    expect(mayOpen('pilot', ['service'])).toBe(false);
    expect(mayOpen('pilot', ['expert'])).toBe(true);
  });
});

/** The whole platform as processes, from the testkit (the benchmark starts it the same way). */
export type { Platform } from '@s3p/testkit';
export { startPlatform } from '@s3p/testkit';

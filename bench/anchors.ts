import type { Schedule } from "../provider/schedule";

/**
 * The waiters users know, written as `Schedule`s so that the same poll loop runs them. Each
 * makes its first call at once, as the poll loop does.
 */

/** terraform-provider-tencentcloud's retry: 0.5, 1, 2, 4, 8 s, then every 10 s. */
export const terraformSchedule: Schedule = ({ attempts }) => [500, 1000, 2000, 4000, 8000][attempts - 1] ?? 10_000;

/** tccli `--waiter` and AWS CDK `isComplete`: every 5 s. */
export const fixedFiveSecondSchedule: Schedule = () => 5000;

const AWS_MIN_DELAY_S = 2;
const AWS_MAX_DELAY_S = 120;

/**
 * AWS SDK v3 waiters (`@smithy/util-waiter` defaults): before retry n (1, 2, ...) a delay drawn
 * uniformly from [minDelay, minDelay * 2^(n-1)] seconds, or maxDelay once n passes
 * log2(maxDelay / minDelay) + 1.
 */
export const awsWaiterSchedule: Schedule = ({ attempts }, random) => {
  // The first call was not a retry: after n calls comes retry n.
  const retry = attempts;
  const ceiling = Math.log2(AWS_MAX_DELAY_S / AWS_MIN_DELAY_S) + 1;
  if (retry > ceiling) return AWS_MAX_DELAY_S * 1000;
  const upper = AWS_MIN_DELAY_S * 2 ** (retry - 1);
  return (AWS_MIN_DELAY_S + random() * (upper - AWS_MIN_DELAY_S)) * 1000;
};

import { systemClock, type Clock } from "../../provider/clock";

/**
 * A clock that runs in real time, and that a test moves forward at once: a wait's grace after the
 * call passes without the test waiting for it, while the calls go to a real server.
 */
export class MovableClock implements Clock {
  private skew = 0;
  now = () => systemClock.now() + this.skew;
  date = () => new Date(Date.now() + this.skew);
  sleep = systemClock.sleep;
  forward(ms: number): void {
    this.skew += ms;
  }
}

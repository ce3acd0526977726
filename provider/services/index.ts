import type { Service } from "../task";
import type { ServiceAdapter } from "./adapter";
import { clb } from "./clb";
import { redis } from "./redis";

export { UnexpectedAnswerError, type ServiceAdapter } from "./adapter";

export const adapters: Record<Service, ServiceAdapter> = {
  clb: clb as ServiceAdapter,
  redis: redis as ServiceAdapter,
};

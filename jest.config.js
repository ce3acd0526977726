/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Examples import the package by name; tests run them on the TypeScript sources.
  moduleNameMapper: { "^tencentcloud-task-completion$": "<rootDir>/sdk/index.ts" },
  // The suites mostly wait on servers and timers, not on the CPU: four at once on two cores.
  maxWorkers: 4,
  testTimeout: 30000,
};

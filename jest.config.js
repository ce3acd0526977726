/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Examples import the package by name; tests run them on the TypeScript sources.
  moduleNameMapper: { "^tencentcloud-task-completion$": "<rootDir>/sdk/index.ts" },
  testTimeout: 30000,
};

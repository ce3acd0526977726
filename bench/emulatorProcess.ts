import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import * as path from "node:path";
import * as readline from "node:readline";
import { EmulatorControl } from "../emulator";
import { killOnExit } from "./children";

const CLI = path.resolve(__dirname, "../dist/emulator/cli.js");
const LISTENING = /^Tencent Cloud API emulator listening on (http:\/\/\S+)$/;

/** The emulator in a process of its own, so that serving requests never slows the waits measured. */
export class EmulatorProcess extends EmulatorControl {
  private constructor(
    url: string,
    private readonly child: ChildProcess,
  ) {
    super(url);
  }

  static async start(rateLimit: number): Promise<EmulatorProcess> {
    const child = spawn(process.execPath, [CLI, "--port", "0", "--rate-limit", String(rateLimit)], { stdio: ["ignore", "pipe", "inherit"] });
    killOnExit(child);
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`the emulator exited with ${code} before listening`)));
    });
    const url = LISTENING.exec(line)?.[1];
    if (!url) {
      child.kill();
      throw new Error(`unexpected first line from the emulator: ${line}`);
    }
    return new EmulatorProcess(url, child);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, "exit");
    this.child.kill("SIGTERM");
    await exited;
  }
}

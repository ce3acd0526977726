import { spawn } from "node:child_process";
import { once } from "node:events";

/**
 * Runs a command on a real pseudo-terminal (Python's standard `pty` module; python3 is on every
 * machine this project builds on), as a person at a terminal would, and returns what the
 * terminal received.
 */
const PTY = `
import fcntl, os, pty, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", int(sys.argv[1]), int(sys.argv[2]), 0, 0))
    os.execvp(sys.argv[3], sys.argv[3:])
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
`;

export async function onTerminal(command: string[], env: NodeJS.ProcessEnv, size = { rows: 40, columns: 200 }): Promise<{ code: number | null; screen: string }> {
  const child = spawn("python3", ["-c", PTY, String(size.rows), String(size.columns), ...command], { env, stdio: ["ignore", "pipe", "inherit"] });
  let screen = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (screen += chunk));
  const [code] = await once(child, "close");
  return { code: code as number | null, screen };
}

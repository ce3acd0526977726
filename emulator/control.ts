import type { FaultSpec, FaultView } from "./faults";
import type { LoggedRequest } from "./requestLog";
import type { ScriptSpec, ScriptView } from "./scripts";
import type { StatsSnapshot } from "./stats";
import type { RoleSpec, SessionView } from "./sts";
import type { EmulatedService, EmulatedTaskId } from "./services";
import type { EmulatedTaskSpec, EmulatedTaskView } from "./tasks";

/** A typed client for the control API of a running emulator, local or remote (e.g. in CI). */
export class EmulatorControl {
  /** @param url the emulator's base URL, e.g. `http://127.0.0.1:9000` */
  constructor(readonly url: string) {}

  /**
   * Starts a task on a timeline. Its id has its service's form: a UUID (CLB, VPC, GAAP, CVM, where
   * the id is a RequestId; CDB), an integer (Redis, FlowIds, ...), a numeric string (MongoDB), ...
   */
  createTask<S extends EmulatedService>(spec: EmulatedTaskSpec & { service: S }): Promise<{ taskId: EmulatedTaskId<S> }> {
    return this.json("POST", "tasks", spec);
  }

  /** The task with its status now, or undefined if there is none with this id. */
  async getTask(taskId: string | number): Promise<EmulatedTaskView | undefined> {
    const response = await this.send("GET", `tasks/${taskId}`);
    if (response.status === 404) return undefined;
    await ensureOk(response);
    return (await response.json()) as EmulatedTaskView;
  }

  async listTasks(): Promise<EmulatedTaskView[]> {
    return (await this.json<{ tasks: EmulatedTaskView[] }>("GET", "tasks")).tasks;
  }

  addFault(spec: FaultSpec): Promise<{ id: number }> {
    return this.json("POST", "faults", spec);
  }

  async listFaults(): Promise<FaultView[]> {
    return (await this.json<{ faults: FaultView[] }>("GET", "faults")).faults;
  }

  async clearFaults(): Promise<void> {
    await ensureOk(await this.send("DELETE", "faults"));
  }

  /** Scripted answers for an action: its next requests get `responses` in turn, the last one repeated. */
  addScript(spec: ScriptSpec): Promise<{ id: number }> {
    return this.json("POST", "scripts", spec);
  }

  async listScripts(): Promise<ScriptView[]> {
    return (await this.json<{ scripts: ScriptView[] }>("GET", "scripts")).scripts;
  }

  async clearScripts(): Promise<void> {
    await ensureOk(await this.send("DELETE", "scripts"));
  }

  stats(): Promise<StatsSnapshot> {
    return this.json("GET", "stats");
  }

  /** The last API requests (up to 200 000) in arrival order, each with its outcome. */
  async requests(): Promise<LoggedRequest[]> {
    return (await this.json<{ requests: LoggedRequest[] }>("GET", "requests")).requests;
  }

  /** Lets callers assume a role (STS AssumeRole); its temporary credentials act in the role's account. */
  addRole(role: RoleSpec): Promise<RoleSpec> {
    return this.json("POST", "roles", role);
  }

  async listRoles(): Promise<RoleSpec[]> {
    return (await this.json<{ roles: RoleSpec[] }>("GET", "roles")).roles;
  }

  /** The temporary credentials issued by AssumeRole, secrets included (for secret scans). */
  async sessions(): Promise<SessionView[]> {
    return (await this.json<{ sessions: SessionView[] }>("GET", "sessions")).sessions;
  }

  /** Ends the lifetime of every temporary credential issued so far: their next request answers AuthFailure.TokenFailure. */
  async expireSessions(): Promise<number> {
    return (await this.json<{ expired: number }>("POST", "sessions/expire")).expired;
  }

  /** The task routes (createTask, getTask, listTasks) for the tasks of another account. */
  account(uin: string): Pick<EmulatorControl, "createTask" | "getTask" | "listTasks"> {
    return new AccountControl(this.url, uin);
  }

  /** Clears tasks (of every account), faults, scripts, stats, the request log and rate-limit windows; ends issued temporary credentials (their tokens then answer AuthFailure.TokenFailure). */
  async reset(): Promise<void> {
    await ensureOk(await this.send("POST", "reset"));
  }

  protected async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    await ensureOk(response);
    return (await response.json()) as T;
  }

  protected async send(method: string, path: string, body?: unknown): Promise<Response> {
    const request = () =>
      fetch(new URL(`/_emulator/${this.prefix()}${path}`, this.url), {
        method,
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    try {
      return await request();
    } catch (error) {
      // A keep-alive connection the emulator closed as idle just as this request went out: the
      // emulator never read it (it resets only API requests), so sending it again is safe.
      if (!isStaleConnection(error)) throw error;
      return request();
    }
  }

  /** Where the control routes are: the emulator's own, or one account's task routes. */
  protected prefix(): string {
    return "";
  }
}

class AccountControl extends EmulatorControl {
  constructor(
    url: string,
    private readonly uin: string,
  ) {
    super(url);
  }

  protected override prefix(): string {
    return `accounts/${this.uin}/`;
  }
}

function isStaleConnection(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return error instanceof TypeError && (code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET");
}

async function ensureOk(response: Response): Promise<void> {
  if (response.ok) return;
  const { error } = (await response.json().catch(() => ({}))) as { error?: string };
  const reason = error ? `: ${error}` : ".";
  throw new Error(`Emulator control request ${response.url} failed with HTTP ${response.status}${reason}`);
}

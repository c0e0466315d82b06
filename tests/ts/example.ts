/**
 * Calling the Alluxio proxy from TypeScript through the types generated from
 * spec/alluxio-proxy.yaml (generated/ts/alluxio-proxy.d.ts, by openapi-typescript) and the
 * `openapi-fetch` client. Every URL, parameter, request body and response below is checked
 * against the spec by `tsc --noEmit` (see tests/spec_tools/test_typescript.py).
 *
 * Run against a proxy (after `tsc -p tests/ts --outDir build/ts-example --noEmit false`):
 *
 *     node build/ts-example/example.js http://127.0.0.1:39999 /tmp-ts-demo
 *
 * It prints one JSON object per step, so a test can check what the proxy answered.
 */
import createClient, { type Client } from "openapi-fetch";

import type {
  CreateDirectoryOptions,
  CreateFileOptions,
  ErrorResponse,
  ErrorResponse1x,
  FileInfo,
  ListStatusOptions,
  paths,
} from "../../generated/ts/alluxio-proxy.js";

/** The typed client: `client.POST("/api/v1/paths/{path}/get-status", ...)` etc. */
export type ProxyClient = Client<paths>;

/** Body of an HTTP 500 (2.x or 1.x proxy) or the text of an HTTP 400. */
export type ProxyErrorBody = ErrorResponse | ErrorResponse1x | string;

/** A failed proxy call, carrying the proxy's status name (e.g. `NOT_FOUND`). */
export class AlluxioProxyError extends Error {
  readonly operation: string;
  readonly httpStatus: number;
  readonly body: ProxyErrorBody | undefined;

  constructor(operation: string, httpStatus: number, body: ProxyErrorBody | undefined) {
    super(`${operation} failed with HTTP ${httpStatus}: ${describe(body)}`);
    this.name = "AlluxioProxyError";
    this.operation = operation;
    this.httpStatus = httpStatus;
    this.body = body;
  }

  /** `statusCode` of a 2.x body, `status` of a 1.x body, undefined for a 400's text. */
  get statusName(): string | undefined {
    if (this.body === undefined || typeof this.body === "string") return undefined;
    return "statusCode" in this.body ? this.body.statusCode : this.body.status;
  }
}

function describe(body: ProxyErrorBody | undefined): string {
  if (body === undefined) return "(no body)";
  if (typeof body === "string") return body;
  const status = "statusCode" in body ? body.statusCode : body.status;
  return `${status}: ${body.message ?? ""}`;
}

/**
 * Encodes an Alluxio path for the `{path}` parameter as the spec demands: slashes stay
 * literal (so `/a/b` gives `/api/v1/paths//a/b/<action>`) and every other byte outside
 * `A-Z a-z 0-9 - . _ ~` is percent-encoded. openapi-fetch's default would turn `/` into `%2F`.
 */
export function encodeAlluxioPath(path: string): string {
  return path
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join("/");
}

function pathSerializer(url: string, params: Record<string, unknown>): string {
  return url.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`);
    return name === "path" ? encodeAlluxioPath(String(value)) : encodeURIComponent(String(value));
  });
}

/** A client for the proxy at `baseUrl`, e.g. `http://localhost:39999`. */
export function connect(baseUrl: string): ProxyClient {
  return createClient<paths>({ baseUrl, pathSerializer });
}

function fail(operation: string, response: Response, error: ProxyErrorBody | undefined): never {
  throw new AlluxioProxyError(operation, response.status, error);
}

export async function createDirectory(
  client: ProxyClient,
  path: string,
  options?: CreateDirectoryOptions,
): Promise<void> {
  const { error, response } = await client.POST("/api/v1/paths/{path}/create-directory", {
    params: { path: { path } },
    body: options,
  });
  if (!response.ok) fail("createDirectory", response, error);
}

export async function exists(client: ProxyClient, path: string): Promise<boolean> {
  const { data, error, response } = await client.POST("/api/v1/paths/{path}/exists", {
    params: { path: { path } },
  });
  if (data === undefined) fail("exists", response, error);
  return data;
}

/** Creates `path` and writes `content` to it: create-file, write, close. Returns bytes written. */
export async function writeFile(
  client: ProxyClient,
  path: string,
  content: string,
  options?: CreateFileOptions,
): Promise<number> {
  const created = await client.POST("/api/v1/paths/{path}/create-file", {
    params: { path: { path } },
    body: options,
  });
  if (created.data === undefined) fail("createFile", created.response, created.error);
  const id = created.data;
  try {
    const written = await client.POST("/api/v1/streams/{id}/write", {
      params: { path: { id } },
      body: content,
      // The stream body is raw bytes, not JSON: send it as it is.
      bodySerializer: (body) => body,
      headers: { "Content-Type": "application/octet-stream" },
    });
    if (written.data === undefined) fail("writeStream", written.response, written.error);
    return written.data;
  } finally {
    // Closing a write stream completes the file; always release the proxy's stream.
    await closeStream(client, id);
  }
}

/** Reads a whole file as text: open-file, read, close. */
export async function readFile(client: ProxyClient, path: string): Promise<string> {
  const opened = await client.POST("/api/v1/paths/{path}/open-file", {
    params: { path: { path } },
  });
  if (opened.data === undefined) fail("openFile", opened.response, opened.error);
  const id = opened.data;
  try {
    const read = await client.POST("/api/v1/streams/{id}/read", {
      params: { path: { id } },
      parseAs: "text",
    });
    if (read.data === undefined) fail("readStream", read.response, read.error);
    return read.data;
  } finally {
    await closeStream(client, id);
  }
}

export async function closeStream(client: ProxyClient, id: number): Promise<void> {
  const { error, response } = await client.POST("/api/v1/streams/{id}/close", {
    params: { path: { id } },
  });
  if (!response.ok) fail("closeStream", response, error);
}

export async function getStatus(client: ProxyClient, path: string): Promise<FileInfo> {
  const { data, error, response } = await client.POST("/api/v1/paths/{path}/get-status", {
    params: { path: { path } },
  });
  if (data === undefined) fail("getStatus", response, error);
  return data;
}

export async function listStatus(
  client: ProxyClient,
  path: string,
  options?: ListStatusOptions,
): Promise<FileInfo[]> {
  const { data, error, response } = await client.POST("/api/v1/paths/{path}/list-status", {
    params: { path: { path } },
    body: options,
  });
  if (data === undefined) fail("listStatus", response, error);
  return data;
}

export async function rename(client: ProxyClient, src: string, dst: string): Promise<void> {
  const { error, response } = await client.POST("/api/v1/paths/{path}/rename", {
    params: { path: { path: src }, query: { dst } },
  });
  if (!response.ok) fail("rename", response, error);
}

export async function remove(client: ProxyClient, path: string, recursive: boolean): Promise<void> {
  const { error, response } = await client.POST("/api/v1/paths/{path}/delete", {
    params: { path: { path } },
    body: { recursive },
  });
  if (!response.ok) fail("delete", response, error);
}

/** The demo: one JSON line per step on stdout. */
async function main(baseUrl: string, root: string): Promise<void> {
  const client = connect(baseUrl);
  const emit = (step: string, value: unknown): void => {
    console.log(JSON.stringify({ step, value }));
  };
  const dir = `${root}/dir with space#1`;
  const file = `${dir}/hello.txt`;

  await createDirectory(client, dir, { recursive: true });
  emit("createDirectory", dir);
  emit("existsAfterCreate", await exists(client, dir));
  emit("written", await writeFile(client, file, "hello from TypeScript\n"));
  emit("read", await readFile(client, file));
  const info: FileInfo = await getStatus(client, file);
  emit("getStatus", { path: info.path, name: info.name, length: info.length, folder: info.folder });
  const children = await listStatus(client, dir);
  emit("listStatus", children.map((child) => child.name));
  await rename(client, file, `${dir}/renamed.txt`);
  emit("renamed", await exists(client, `${dir}/renamed.txt`));
  try {
    await getStatus(client, `${root}/does-not-exist`);
    emit("missing", null);
  } catch (err) {
    if (!(err instanceof AlluxioProxyError)) throw err;
    emit("missing", { httpStatus: err.httpStatus, statusName: err.statusName });
  }
  await remove(client, root, true);
  emit("existsAfterDelete", await exists(client, root));
}

// Run the demo only when executed directly, not when imported.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [baseUrl, root] = process.argv.slice(2);
  if (baseUrl === undefined || root === undefined) {
    console.error("usage: node example.js BASE_URL ALLUXIO_ROOT_DIR");
    process.exit(2);
  }
  main(baseUrl, root).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

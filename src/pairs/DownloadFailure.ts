/** Why a download could not start, as far as the network lets us tell. */
export type DownloadFailure =
  /** The host name did not resolve: no internet access, no working DNS, or a wrong name. */
  | { kind: "dns"; host: string; code: string }
  /** The host answered but refused the connection: nothing listens there, or a firewall rejects it. */
  | { kind: "refused"; host: string }
  /** No route to the host: this machine is offline or its network is down. */
  | { kind: "unreachable"; host: string; code: string }
  /** Nothing came back in time: a slow network, or a firewall that drops the traffic. */
  | { kind: "timeout"; host: string; seconds: number }
  /** The host answered with an HTTP error. */
  | { kind: "http"; host: string; status: number; statusText: string }
  /** Anything else (a TLS problem, a reset connection, a full disk…). */
  | { kind: "other"; host: string; message: string };

/** A download that failed; `failure` says why, the message says it in words. */
export class DownloadError extends Error {
  constructor(
    readonly failure: DownloadFailure,
    readonly url: string,
  ) {
    super(describeDownloadFailure(failure));
    this.name = "DownloadError";
  }
}

const dnsCodes = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);
const unreachableCodes = new Set(["ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN"]);
const timeoutCodes = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"]);

/** The system error code behind a failed `fetch` (undici wraps it in `cause`, sometimes twice). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Sorts an error thrown by `fetch` (or its time limit) into a {@link DownloadFailure}. */
export function classifyDownloadError(error: unknown, url: string, timeoutSeconds: number): DownloadFailure {
  const host = new URL(url).host;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return { kind: "timeout", host, seconds: timeoutSeconds };
  }
  const code = errorCode(error);
  if (code && dnsCodes.has(code)) return { kind: "dns", host, code };
  if (code === "ECONNREFUSED") return { kind: "refused", host };
  if (code && unreachableCodes.has(code)) return { kind: "unreachable", host, code };
  if (code && timeoutCodes.has(code)) return { kind: "timeout", host, seconds: timeoutSeconds };
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  const message = `${error instanceof Error ? error.message : String(error)}${cause}${code ? ` (${code})` : ""}`;
  return { kind: "other", host, message };
}

/** One or two sentences on what went wrong and whose side it is on. */
export function describeDownloadFailure(failure: DownloadFailure): string {
  switch (failure.kind) {
    case "dns":
      return `Could not look up ${failure.host} (${failure.code}): this machine seems to have no internet access or no working DNS.`;
    case "refused":
      return `${failure.host} refused the connection: the network works, but nothing answers there (or a firewall rejects it).`;
    case "unreachable":
      return `No route to ${failure.host} (${failure.code}): this machine is offline or its network is down.`;
    case "timeout":
      return `${failure.host} did not answer within ${failure.seconds} s: the network is very slow, or a firewall or proxy drops the traffic.`;
    case "http":
      if (failure.status === 404)
        return `${failure.host} answered 404 Not Found: the file is not there (renamed or removed upstream).`;
      if (failure.status === 401 || failure.status === 403)
        return `${failure.host} answered ${failure.status} ${failure.statusText}: the repository is gated, private or gone; accept its license on the website and set HF_TOKEN, or use a file you already have.`;
      if (failure.status === 429 || failure.status >= 500)
        return `${failure.host} answered ${failure.status} ${failure.statusText}: the host is busy or having trouble; try again later.`;
      return `${failure.host} answered ${failure.status} ${failure.statusText}.`;
    case "other":
      return `The download from ${failure.host} failed: ${failure.message}`;
  }
}

/** How to go on without downloading, appended to every failure shown to the operator. */
export const LOCAL_FILE_ADVICE =
  "To use a GGUF file you already have instead, set BASE_MODEL and INSTRUCT_MODEL to its path (in .env), or add a pair with file paths to MODEL_PAIRS_FILE (see README: Pairs of models).";

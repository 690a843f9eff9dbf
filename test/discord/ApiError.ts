/** One entry of an Invalid Form Body error: where in the body, and what Discord says about it. */
export interface FormIssue {
  /** Path into the request body, e.g. `["data", "embeds", 0, "title"]`. */
  path: (string | number)[];
  /** Discord's machine code, e.g. `BASE_TYPE_MAX_LENGTH`. */
  code: string;
  message: string;
}

/** The JSON body Discord sends with a 4xx: `{ message, code, errors? }`. */
export interface ApiErrorBody {
  message: string;
  code: number;
  errors?: Record<string, unknown>;
}

/**
 * A Discord error response the double sends because the bot broke a rule. Route handlers throw it;
 * the server answers with `status` and `body` and records `reason` as a violation.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;

  constructor(status: number, code: number, discordMessage: string, reason: string) {
    super(reason);
    this.name = "ApiError";
    this.status = status;
    this.body = { message: discordMessage, code };
  }

  /** 400 code 50035 with Discord's nested `errors` tree (`{ content: { _errors: [...] } }`). */
  static invalidFormBody(issues: FormIssue[], reason: string): ApiError {
    const error = new ApiError(400, 50035, "Invalid Form Body", reason);
    error.body.errors = formErrorTree(issues);
    return error;
  }

  static unknownInteraction(reason: string): ApiError {
    return new ApiError(404, 10062, "Unknown interaction", reason);
  }

  static alreadyAcknowledged(reason: string): ApiError {
    return new ApiError(400, 40060, "Interaction has already been acknowledged.", reason);
  }

  static unknownMessage(reason: string): ApiError {
    return new ApiError(404, 10008, "Unknown Message", reason);
  }

  static unknownChannel(reason: string): ApiError {
    return new ApiError(404, 10003, "Unknown Channel", reason);
  }

  static unknownWebhook(reason: string): ApiError {
    return new ApiError(404, 10015, "Unknown Webhook", reason);
  }

  static invalidWebhookToken(reason: string): ApiError {
    return new ApiError(401, 50027, "Invalid Webhook Token", reason);
  }

  static emptyMessage(reason: string): ApiError {
    return new ApiError(400, 50006, "Cannot send an empty message", reason);
  }

  static unauthorized(reason: string): ApiError {
    return new ApiError(401, 0, "401: Unauthorized", reason);
  }
}

function formErrorTree(issues: FormIssue[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = root;
    for (const segment of issue.path) {
      const key = String(segment);
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node._errors ??= [];
    (node._errors as { code: string; message: string }[]).push({ code: issue.code, message: issue.message });
  }
  return root;
}

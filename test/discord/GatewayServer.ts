import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  type GatewayGuildCreateDispatchData,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  type GatewayReceivePayload,
  type GatewaySendPayload,
} from "discord-api-types/v10";
import { type WebSocket, WebSocketServer } from "ws";

/** One IDENTIFY: a discord.js client's gateway session. */
export interface GatewaySession {
  readonly sessionId: string;
  readonly identifiedAt: number;
  /** The intents bitfield the client identified with. */
  readonly intents: number;
  /** When its socket closed for good or to resume; `null` while open. */
  closedAt: number | null;
  closeCode: number | null;
  /** How many times the client resumed this session on a new socket. */
  resumes: number;
}

/** A client closing with these ends its session on purpose; Discord will not let it resume. */
const finalCloseCodes = new Set([1000, 1001]);

/** What the gateway needs from the rest of the double. */
export interface GatewayHost {
  /** The URL `GET /gateway/bot` hands out; also the `resume_gateway_url`. */
  url: string;
  token: string;
  heartbeatIntervalMs: number;
  ready(sessionId: string): GatewayReadyDispatchData;
  guildCreate(): GatewayGuildCreateDispatchData;
  recordError(message: string): void;
}

interface LiveSession {
  info: GatewaySession;
  socket: WebSocket | null;
  sequence: number;
}

/**
 * The double's gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME, and
 * dispatches to every live session. Plain JSON text frames only (no zlib-stream).
 */
export class GatewayServer {
  readonly #host: GatewayHost;
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #sessions: LiveSession[] = [];

  constructor(host: GatewayHost) {
    this.#host = host;
  }

  /** The URL `GET /gateway/bot` hands out. */
  get url(): string {
    return this.#host.url;
  }

  get sessions(): readonly GatewaySession[] {
    return this.#sessions.map((session) => session.info);
  }

  /** Sessions with an open, identified socket. */
  get liveCount(): number {
    return this.#sessions.filter((session) => session.socket !== null).length;
  }

  /** Takes an HTTP upgrade for `/gateway?v=10&encoding=json`; refuses anything else. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const refusal =
      url.pathname.replace(/\/$/, "") !== "/gateway"
        ? `gateway connection to unknown path ${url.pathname}`
        : url.searchParams.get("v") !== "10"
          ? `gateway connection with API version ${url.searchParams.get("v")}, expected 10`
          : url.searchParams.get("encoding") !== "json"
            ? `gateway connection with encoding ${url.searchParams.get("encoding")}; the double speaks json`
            : url.searchParams.has("compress")
              ? `gateway connection asked for ${url.searchParams.get("compress")} compression; the double sends plain JSON`
              : null;
    if (refusal) {
      this.#host.recordError(refusal);
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      return;
    }
    this.#server.handleUpgrade(request, socket, head, (webSocket) => this.#accept(webSocket));
  }

  /** Sends a dispatch to every live session; returns how many received it. */
  dispatch(event: GatewayDispatchEvents, data: unknown): number {
    let sent = 0;
    for (const session of this.#sessions) {
      if (!session.socket) continue;
      this.#dispatchTo(session, event, data);
      sent++;
    }
    return sent;
  }

  /** Drops every socket without a close frame, as a network failure would; clients then resume. */
  dropConnections(): void {
    for (const session of this.#sessions) session.socket?.terminate();
  }

  close(): void {
    for (const client of this.#server.clients) client.terminate();
    this.#server.close();
  }

  #send(socket: WebSocket, payload: GatewayReceivePayload): void {
    socket.send(JSON.stringify(payload));
  }

  #dispatchTo(session: LiveSession, event: GatewayDispatchEvents, data: unknown): void {
    if (!session.socket) return;
    session.sequence += 1;
    // The event/data pairing is the caller's responsibility; the union cannot express it here.
    const payload = {
      op: GatewayOpcodes.Dispatch,
      t: event,
      s: session.sequence,
      d: data,
    } as GatewayDispatchPayload;
    this.#send(session.socket, payload);
  }

  #accept(socket: WebSocket): void {
    let session: LiveSession | null = null;
    const closeWith = (code: GatewayCloseCodes, reason: string) => {
      this.#host.recordError(`gateway closed with ${code}: ${reason}`);
      socket.close(code, reason);
    };
    socket.on("close", (code) => {
      if (session?.socket === socket) {
        session.socket = null;
        session.info.closedAt = Date.now();
        session.info.closeCode = code;
      }
    });
    socket.on("message", (data, isBinary) => {
      let payload: GatewaySendPayload;
      try {
        if (isBinary) throw new Error("binary frame");
        payload = JSON.parse(data.toString()) as GatewaySendPayload;
      } catch {
        closeWith(GatewayCloseCodes.DecodeError, "payload is not JSON text");
        return;
      }
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          this.#send(socket, { op: GatewayOpcodes.HeartbeatAck, d: undefined, s: null, t: null });
          return;
        case GatewayOpcodes.Identify: {
          if (session) return closeWith(GatewayCloseCodes.AlreadyAuthenticated, "second IDENTIFY");
          if (payload.d.token !== this.#host.token) {
            return closeWith(GatewayCloseCodes.AuthenticationFailed, "IDENTIFY with a wrong token");
          }
          session = {
            info: {
              sessionId: randomBytes(16).toString("hex"),
              identifiedAt: Date.now(),
              intents: payload.d.intents,
              closedAt: null,
              closeCode: null,
              resumes: 0,
            },
            socket,
            sequence: 0,
          };
          this.#sessions.push(session);
          this.#dispatchTo(session, GatewayDispatchEvents.Ready, this.#host.ready(session.info.sessionId));
          this.#dispatchTo(session, GatewayDispatchEvents.GuildCreate, this.#host.guildCreate());
          return;
        }
        case GatewayOpcodes.Resume: {
          const known = this.#sessions.find((candidate) => candidate.info.sessionId === payload.d.session_id);
          const resumable = known && !known.socket && !finalCloseCodes.has(known.info.closeCode ?? 0);
          if (!known || !resumable || payload.d.token !== this.#host.token) {
            this.#send(socket, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
            return;
          }
          session = known;
          known.socket = socket;
          known.info.closedAt = null;
          known.info.closeCode = null;
          known.info.resumes += 1;
          this.#dispatchTo(known, GatewayDispatchEvents.Resumed, {});
          return;
        }
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
        case GatewayOpcodes.RequestGuildMembers:
        case GatewayOpcodes.RequestSoundboardSounds:
          if (!session) closeWith(GatewayCloseCodes.NotAuthenticated, `op ${payload.op} before IDENTIFY`);
          return;
        default:
          closeWith(GatewayCloseCodes.UnknownOpcode, `unknown opcode ${(payload as { op: unknown }).op}`);
      }
    });
    this.#send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.#host.heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }
}

/**
 * The socket side of an accepted inbound `/p2p` request: one {@link PeerConnection} per opened
 * WebSocket, registered with the service (which bounds sockets still in their handshake), with frames
 * and the close passed on.
 */
import type { UpgradeDecision } from "../adapter/types.ts";
import { CloseCode, PeerConnection, type ConnectionHost } from "./_connection.ts";
import { truncate } from "./_dial.ts";

/** What the upgrade needs from the service besides the connection host. */
export interface InboundHost {
  isStopped(): boolean;
  /** Track a new inbound connection (before its HELLO goes out). */
  register(c: PeerConnection): void;
}

/** The upgrade handlers of one inbound request from `remoteAddress` (the adapter's, when the socket has none). */
export function inboundUpgrade(host: ConnectionHost, service: InboundHost, remoteAddress: string): UpgradeDecision {
  let conn: PeerConnection | undefined;
  return {
    upgrade: {
      onOpen: (ws) => {
        if (service.isStopped()) {
          ws.close(CloseCode.GOING_AWAY, "shutdown");
          return;
        }
        conn = new PeerConnection(host, "inbound");
        conn.attach({
          send: (d) => ws.send(d),
          close: (code, reason) => ws.close(code, truncate(reason)),
          get bufferedAmount() {
            return ws.bufferedAmount;
          },
          remoteAddress: ws.remoteAddress || remoteAddress,
        });
        service.register(conn);
        conn.open();
      },
      onMessage: (_ws, data) => conn?.receive(data),
      onClose: (_ws, code, reason) => conn?.transportClosed(code, reason),
    },
  };
}

/**
 * Node wiring (DESIGN §2 `src/node/`): assembles store, chain, txpool, producer and RPC into a running
 * node, and adapts the chain to the RPC layer's backend interface.
 * @module
 */
export { startDevNode } from "./devNode.ts";
export type { DevNode, DevNodeOptions } from "./devNode.ts";
export { createRpcBackend, headerToRpc } from "./rpcBackend.ts";
export type { NodeStatusSource } from "./rpcBackend.ts";

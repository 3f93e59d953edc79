// Preloaded into every guide example (node --import): a connection to anything but this machine's
// loopback throws, so an example can never depend on the network.
import net from "node:net";

const LOOPBACK = new Set([undefined, "", "localhost", "127.0.0.1", "::1", "[::1]"]);
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === "object" && first !== null ? first : { port: first, host: args[1] };
  const host = typeof options.host === "string" ? options.host : undefined;
  if (options.path === undefined && !LOOPBACK.has(host) && !host?.startsWith("127.")) {
    throw new Error(`guide examples may only connect to 127.0.0.1, not ${host}`);
  }
  return connect.apply(this, args);
};

export { type ClientIpSource, resolveClientIp } from "./client-ip.js";
export { HttpError, type HttpErrorCode } from "./errors.js";
export { normalizeIp } from "./ip.js";
export { type IpSubnetOptions, ipSubnetKey } from "./ip-subnet.js";
export { compileTrustProxy, type TrustProxy, type TrustProxyFn } from "./trust-proxy.js";

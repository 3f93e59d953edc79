export { CallDeadlines } from "./call-deadlines.js";
export { type ClientIpSource, clientIpOf, resolveClientIp } from "./client-ip.js";
export { coarseClock } from "./coarse-clock.js";
export { HttpError, type HttpErrorCode } from "./errors.js";
export { fetchRequestView } from "./fetch-request-view.js";
export { fetchReply, withHeaders } from "./fetch-response.js";
export type { HeaderValue } from "./header-check.js";
export { normalizeIp } from "./ip.js";
export { type IpSubnetOptions, ipSubnetKey } from "./ip-subnet.js";
export { type CapturedResponse, type CaptureOptions, captureNodeBody } from "./node-capture.js";
export { beforeNodeHead, setNodeHeaders } from "./node-headers.js";
export {
  type NodeResponseInfo,
  type ObserveNodeResponseOptions,
  observeNodeResponse,
} from "./node-observe.js";
export { sendNodeReply } from "./node-reply.js";
export { nodeRequestView } from "./node-request-view.js";
export { requestProperty } from "./request-property.js";
export type { RequestView } from "./request-view.js";
export { routeName, UNMATCHED_ROUTE } from "./route.js";
export {
  type ExpressRouteSource,
  expressRouteTemplate,
  type FastifyRouteSource,
  fastifyRouteTemplate,
  type HonoRouteSource,
  honoRouteTemplate,
  type KoaRouteSource,
  koaRouteTemplate,
} from "./route-templates.js";
export { compileTrustProxy, type TrustProxy, type TrustProxyFn } from "./trust-proxy.js";
export { defaultUserId } from "./user.js";

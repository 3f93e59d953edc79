// A node:cluster worker: records its share of the workload and sends its snapshot to the primary.
import { createMonitor } from "../../src/index.js";
import { recordShare } from "./workload.js";

const shard = Number(process.env.KEEL_SHARD);
const shards = Number(process.env.KEEL_SHARDS);
const perf = createMonitor();
recordShare(perf, shard, shards);
process.send?.({ shard, snapshot: perf.snapshot() }, () => process.disconnect());

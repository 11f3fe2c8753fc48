// V8 inlines callees into a hot function until their bytecode adds up to a budget (920 bytes in
// Node 20). An actor step is a chain of small functions (tick loop -> step -> the behaviour ->
// ctx.rng.int -> the stream's next(), ctx.wakeAt -> the timer bucket) that together exceed it,
// so which of them stays a real call depended on which function V8 happened to optimise first:
// the same bench-1 configuration measured 42 ns a step in one process and 63 ns in the next,
// because `rng.int` was left out (bench/RESULTS.md, bench 1). With a larger budget the chain
// inlines whatever the order. 2000 bytes did for the bare step; a step that also records into a
// histogram, on a thread that ran both kinds, still lost `ctx.observe` to a call at 2000 (50-58 ns
// a step, against mostly 44-47 at 3000; 5000 measured the same as 3000). V8 flags are
// process-wide, so this also covers worker threads.
import { setFlagsFromString } from 'node:v8';

const FLAG = '--max-inlined-bytecode-size-cumulative';

// A budget given on node's own command line wins.
if (!process.execArgv.some((arg) => arg.startsWith(FLAG))) setFlagsFromString(`${FLAG}=3000`);

// Types for comlink's Node adapter: the package ships them beside the .mjs as node-adapter.d.ts,
// which TypeScript's NodeNext resolution does not pair with an .mjs import.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  import type { MessagePort } from 'node:worker_threads';
  export default function nodeEndpoint(nep: MessagePort): Endpoint;
}

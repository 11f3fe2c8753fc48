// A failed effect with the value its actor should see: handlers throw it so that a failure carries
// what the caller needs (an HTTP status, headers and body; a typed network error) rather than a
// bare message.
export class EffectFailure extends Error {
  constructor(readonly value: Record<string, unknown>) {
    super(String(value.error));
    this.name = 'EffectFailure';
  }
}

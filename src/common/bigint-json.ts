// Message, event and inbound ids are BIGINT. JSON has no bigint, so responses carry them as
// strings; importing this file once (main.ts, tests) teaches JSON.stringify to do that.
declare global {
  interface BigInt {
    toJSON(): string;
  }
}

BigInt.prototype.toJSON = function toJSON(this: bigint): string {
  return this.toString();
};

export {};

// hoodiecrow-imap (a scriptable IMAP server, the real peer of the IMAP poller's test) ships no types.
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';
  interface HoodiecrowOptions {
    plugins?: string[];
    storage: Record<string, { messages: Array<{ raw: string; flags?: string[] }> }>;
    users?: Record<string, { password: string }>;
  }
  interface Hoodiecrow {
    listen(port: number, host: string, callback: () => void): void;
    close(callback: () => void): void;
    server: Server;
  }
  function hoodiecrow(options: HoodiecrowOptions): Hoodiecrow;
  export = hoodiecrow;
}

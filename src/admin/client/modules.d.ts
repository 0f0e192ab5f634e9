// GrapesJS ships its translations as plain modules without types.
declare module 'grapesjs/locale/ru.mjs' {
  const messages: Record<string, unknown>;
  export default messages;
}

// Styles imported by a module are bundled by esbuild into <module>.css (scripts/build-client.js).
declare module '*.css';

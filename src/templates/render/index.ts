// The pure render pipeline of templates: no Nest, no database.

export * from './compile-email';
export * from './compile-sms';
export { compileTemplate, handlebars, HELPER_NAMES, parseTemplate } from './handlebars-env';
export { CUSTOMER_SHORTCUTS, fullNameOf, HELPERS, LINK_SHORTCUTS, politeNameOf, VALUE_HELPERS } from './helpers';
export * from './format';
export * from './locale-pick';
export * from './render-context';
export * from './render-data';
export { renderableContext, renderableJson } from './renderable-json';
export * from './sms-length';
export * from './template-cache';
export * from './template-file';
export * from './template-issue';
export * from './validate-template';
export * from './sample-context';
export * from './run-values';
export * from './data-fields';
export * from './template-uses';

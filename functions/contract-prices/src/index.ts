// The targets Shopify calls, by the camelCase of shopify.extension.toml's `export` names.
export { cartLinesDiscountsGenerateFetch } from "./fetch";
export { cartLinesDiscountsGenerateRun } from "./run";

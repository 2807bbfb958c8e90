export const INTL_INSTALLER = String.raw`(function (host) {})`;

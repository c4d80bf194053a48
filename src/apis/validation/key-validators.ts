// Environment variable name and ConfigMap/Secret key validators with upstream messages
// (apimachinery util/validation).
import { emptyError, maxLenError, regexError } from './validators.js';

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

function hasChDirPrefix(value: string): string[] {
  if (value === '.') {
    return [`must not be '.'`];
  }
  if (value === '..') {
    return [`must not be '..'`];
  }
  return value.startsWith('..') ? [`must not start with '..'`] : [];
}

const ENV_VAR_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';

/** The strict environment variable name rule (before RelaxedEnvironmentVariableValidation). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!new RegExp(`^${ENV_VAR_FMT}$`).test(value)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        ENV_VAR_FMT,
        'my.env-name',
        'MY_ENV.NAME',
        'MyEnvName1',
      ),
    );
  }
  return [...errs, ...hasChDirPrefix(value)];
}

/** The relaxed environment variable name rule (beta and on by default in 1.32). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) {
    errs.push(`environment variable name ${emptyError()}`);
  }
  if (/[^\x20-\x7e]|=/.test(value)) {
    errs.push(
      "a valid environment variable name must consist only of printable ASCII characters other than '='",
    );
  }
  return errs;
}

const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';

/** A ConfigMap or Secret data key. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) {
    errs.push(maxLenError(253));
  }
  if (!new RegExp(`^${CONFIG_KEY_FMT}$`).test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_KEY_FMT,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  return [...errs, ...hasChDirPrefix(value)];
}

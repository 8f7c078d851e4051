/*
 * Which container environment entries and tags may name a registry version a
 * deployment serves (MLFLOW_RUN_ID, mlflow.run_id, mlflow.model_uri,
 * wandb.artifact…). Only those are kept: an environment also holds secrets,
 * and nothing else of it is read, cached or stored.
 */

const HINT_KEY = /^(mlflow|wandb)[._-]|run[_.-]?id$|^model[_.-]?(uri|version|name)$/i;
const SECRET_KEY = /token|passw|secret|key|credential|auth|cookie|session/i;
// A URL with user:password@ in it carries a credential whatever its key says.
const CREDENTIAL_URL = /\/\/[^/@\s:]+:[^/@\s]+@/;

export function hintEntries(entries: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries ?? {})) {
    if (HINT_KEY.test(k) && !SECRET_KEY.test(k) && !CREDENTIAL_URL.test(v)) out[k] = v;
  }
  return out;
}

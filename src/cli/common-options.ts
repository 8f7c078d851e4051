import { Option, type Command } from 'commander';

/** -c/--config and the logging flags, shared by every command that reads a config file. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-c, --config <file>', 'config file (YAML)')
    .addOption(new Option('--log-format <format>', 'log lines as human text or JSON (default: human on a terminal, JSON otherwise)').choices(['human', 'json']))
    .addOption(new Option('--log-level <level>', 'least severe log level shown').choices(['error', 'warn', 'info', 'debug']));
}

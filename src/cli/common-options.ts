import { InvalidArgumentError, Option, type Command } from 'commander';

/** commander parser for a whole number in [min, max]; anything else is a usage error, not NaN. */
export function intOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/**
 * -c/--config and the logging flags, shared by every command that reads a
 * config file. The config defaults to $MASYNC_CONFIG, else ./masync.yaml
 * (what `masync init` writes).
 */
export function withCommonOptions(cmd: Command, env: NodeJS.ProcessEnv): Command {
  return cmd
    .option('-c, --config <file>', 'config file (YAML); default $MASYNC_CONFIG, else ./masync.yaml', env.MASYNC_CONFIG || 'masync.yaml')
    .addOption(new Option('--log-format <format>', 'log lines as human text or JSON (default: human on a terminal, JSON otherwise)').choices(['human', 'json']))
    .addOption(new Option('--log-level <level>', 'least severe log level shown').choices(['error', 'warn', 'info', 'debug']));
}

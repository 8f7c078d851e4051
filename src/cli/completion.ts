import { Argument, type Command, type Option } from 'commander';
import { UsageError } from '../errors';
import { write, type CliIO } from './io';

const SHELLS = ['bash', 'zsh'] as const;
type Shell = (typeof SHELLS)[number];

/** How a value (an option's or a positional argument's) is completed. */
interface ValueSpec {
  name: string;
  complete: 'files' | 'dirs' | 'commands' | 'choices' | 'none';
  choices: readonly string[];
}

interface OptionSpec {
  names: string[];
  description: string;
  value?: ValueSpec;
  repeatable: boolean;
}

interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  args: Array<ValueSpec & { required: boolean; variadic: boolean }>;
}

interface ProgramSpec {
  name: string;
  options: OptionSpec[];
  commands: CommandSpec[];
}

export function commandCompletion(program: Command, io: CliIO): void {
  program
    .command('completion')
    .description('print a shell completion script for bash or zsh')
    // choices() lists the shells in --help and in the scripts; the parser after it answers an unknown one with masync's usage error.
    .addArgument(new Argument('<shell>', 'the shell to complete for').choices(SHELLS).argParser(parseShell))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        `  source <(${program.name()} completion bash)    # this shell; add the line to ~/.bashrc to keep it`,
        `  ${program.name()} completion zsh > ~/.zsh/completions/_${program.name()}    # a directory in $fpath, before compinit runs`,
      ].join('\n'),
    )
    .action((shell: Shell) => write(io.stdout, completionScript(program, shell)));
}

function parseShell(value: string): Shell {
  const shell = SHELLS.find((s) => s === value);
  if (!shell) throw new UsageError(`unknown shell "${value}": completion scripts exist for ${SHELLS.join(' and ')}`);
  return shell;
}

/** The completion script for `shell`, read off the program itself so it can never fall behind its commands. */
export function completionScript(program: Command, shell: Shell): string {
  const spec = describeProgram(program);
  return shell === 'bash' ? bashScript(spec) : zshScript(spec);
}

function describeProgram(program: Command): ProgramSpec {
  const help = program.createHelp();
  // masync's commands are one level deep; a nested subcommand would need this walk to recurse.
  const commands = help.visibleCommands(program).map((cmd) => ({
    name: word(cmd.name()),
    description: cmd.description(),
    options: help.visibleOptions(cmd).map(describeOption),
    args: cmd.registeredArguments.map((a) => ({
      ...valueSpec(a.name(), a.argChoices, cmd.name() === 'help'),
      required: a.required,
      variadic: a.variadic,
    })),
  }));
  return { name: word(program.name()), options: help.visibleOptions(program).map(describeOption), commands };
}

function describeOption(o: Option): OptionSpec {
  const names = [o.short, o.long].filter((n): n is string => n !== undefined).map(word);
  const valueName = /[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/.exec(o.flags)?.[1];
  return {
    names,
    description: o.description,
    value: valueName === undefined ? undefined : valueSpec(valueName, o.argChoices, false),
    repeatable: o.variadic,
  };
}

/** Values named like files or directories complete as paths; the help command's argument as a command. */
function valueSpec(name: string, choices: readonly string[] | undefined, isCommandName: boolean): ValueSpec {
  if (choices) return { name, complete: 'choices', choices: choices.map(word) };
  if (isCommandName) return { name, complete: 'commands', choices: [] };
  if (/^(file|path)$/.test(name)) return { name, complete: 'files', choices: [] };
  if (name === 'dir') return { name, complete: 'dirs', choices: [] };
  return { name, complete: 'none', choices: [] };
}

/** Names and choices go into scripts unquoted; commander allows more than a shell word holds, so refuse the rest. */
function word(s: string): string {
  if (!/^[A-Za-z0-9_.@%+/-]+$/.test(s)) throw new Error(`"${s}" cannot appear in a completion script`);
  return s;
}

function bashScript(p: ProgramSpec): string {
  const fn = `_${p.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const commandNames = p.commands.map((c) => c.name);
  const reply = (words: readonly string[]) => `COMPREPLY=($(compgen -W "${words.join(' ')}" -- "$cur"))`;
  // Files come from `complete -o default`; a value with nothing to offer turns that off (bash 4+, quietly ignored by 3.2).
  const completeValue = (v: ValueSpec) => {
    if (v.complete === 'choices') return `${reply(v.choices)};`;
    if (v.complete === 'commands') return `${reply(commandNames)};`;
    if (v.complete === 'dirs') return 'COMPREPLY=($(compgen -d -- "$cur"));';
    if (v.complete === 'none') return 'compopt +o default 2>/dev/null;';
    return '';
  };
  const branch = (c: CommandSpec) => {
    const lines = [`    ${c.name})`];
    const valued = c.options.filter((o) => o.value);
    if (valued.length) {
      lines.push('      case "$prev" in');
      for (const o of valued) lines.push(`        ${o.names.join('|')}) ${`${completeValue(o.value as ValueSpec)} return`.trim()} ;;`);
      lines.push('      esac');
    }
    const options = reply(c.options.flatMap((o) => o.names));
    const [arg] = c.args;
    if (!arg) lines.push(`      ${options} ;;`);
    else if (completeValue(arg) === '') lines.push(`      if [[ $cur == -* ]]; then ${options}; fi ;;`);
    else lines.push(`      if [[ $cur == -* ]]; then ${options}; else ${completeValue(arg)} fi ;;`);
    return lines.join('\n');
  };
  const globalValued = p.options.filter((o) => o.value).flatMap((o) => o.names);
  return `# bash completion for ${p.name}, generated by \`${p.name} completion bash\`
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # \`--option=value\`: bash splits the word at "=", so the option is one word further back.
  if [[ $cur == "=" ]]; then cur=""; elif [[ $prev == "=" ]]; then prev="\${COMP_WORDS[COMP_CWORD-2]}"; fi
  local cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
${globalValued.length ? `      ${globalValued.join('|')}) ((i++)) ;;\n` : ''}      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$cmd" in
    "") ${reply([...commandNames, ...p.options.flatMap((o) => o.names)])} ;;
${p.commands.map(branch).join('\n')}
  esac
}
complete -o default -F ${fn} ${p.name}
`;
}

function zshScript(p: ProgramSpec): string {
  const fn = `_${p.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const commandNames = p.commands.map((c) => c.name);
  const action = (v: ValueSpec) => {
    const what = zshQuote(v.name.replace(/:/g, '\\:'));
    if (v.complete === 'choices') return `${what}:(${v.choices.join(' ')})`;
    if (v.complete === 'commands') return `${what}:(${commandNames.join(' ')})`;
    if (v.complete === 'files') return `${what}:_files`;
    if (v.complete === 'dirs') return `${what}:_files -/`;
    return `${what}:`;
  };
  const optionSpec = (o: OptionSpec) => {
    const desc = `[${zshQuote(o.description.replace(/([\\[\]])/g, '\\$1'))}]${o.value ? `:${action(o.value)}` : ''}`;
    const repeat = o.repeatable ? '*' : '';
    if (o.names.length === 1) return `'${repeat}${o.names[0]}${desc}'`;
    // `{-c,--config}` expands to both spellings; the exclusion list keeps one from being offered after the other.
    return `'${repeat ? '*' : `(${o.names.join(' ')})`}'{${o.names.join(',')}}'${desc}'`;
  };
  const argSpec = (a: CommandSpec['args'][number], i: number) => `'${a.variadic ? '*' : `${i + 1}${a.required ? '' : ':'}`}:${action(a)}'`;
  const branch = (c: CommandSpec) =>
    `        ${c.name})\n          _arguments -s \\\n${[...c.options.map(optionSpec), ...c.args.map(argSpec)].map((s) => `            ${s}`).join(' \\\n')} ;;`;
  return `#compdef ${p.name}
# zsh completion for ${p.name}, generated by \`${p.name} completion zsh\`
${fn}() {
  local curcontext="$curcontext" state line
  typeset -A opt_args
  _arguments -C \\
${p.options.map((o) => `    ${optionSpec(o)} \\`).join('\n')}
    '1: :->command' \\
    '*:: :->args'
  case $state in
    command)
      local -a commands
      commands=(
${p.commands.map((c) => `        '${c.name}:${zshQuote(c.description)}'`).join('\n')}
      )
      _describe -t commands '${p.name} command' commands ;;
    args)
      case $line[1] in
${p.commands.map(branch).join('\n')}
      esac ;;
  esac
}
# Autoloaded from $fpath the function runs itself; sourced, it registers.
if [[ $funcstack[1] == ${fn} ]]; then ${fn} "$@"; else compdef ${fn} ${p.name}; fi
`;
}

/** Text inside a single-quoted zsh word. */
function zshQuote(s: string): string {
  return s.replace(/'/g, `'\\''`);
}

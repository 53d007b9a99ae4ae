/**
 * The `[--version X] [--force]` arguments both fetch scripts take (rocketmq-install, java-worker-build);
 * each script checks the version against what it can fetch.
 */
export function parseVersionArgs(argv, {defaultVersion, usage, fail}) {
  const opts = {version: defaultVersion, force: false}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--force') opts.force = true
    else if (arg === '--version') opts.version = argv[++i]
    else if (arg.startsWith('--version=')) opts.version = arg.slice('--version='.length)
    else fail(2, `unknown argument '${arg}'; usage: ${usage}`)
  }
  return opts
}

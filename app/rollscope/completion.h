// SPDX-License-Identifier: MIT
#pragma once

// `rollscope __complete contexts|namespaces|deployments|languages [--kubeconfig F]
// [--context C] [-n NS]`: the hidden helper behind the shell completion
// (packaging/completion/rollscope.bash), as kubectl's `__complete`. It prints one candidate per
// line and nothing else: contexts come from the kubeconfig without touching the network,
// languages are those of --lang, namespaces and deployments come from the API server within
// about two seconds. Any error (no kubeconfig, unknown context, unreachable server, Forbidden,
// an exec plugin that could prompt) prints nothing and exits 0, so a TAB never stalls, prompts
// or writes over the command line.

namespace rollscope {

// argv[1] is "__complete".
bool isCompletionRequest(int argc, char **argv);

// Runs the helper (creates its own QCoreApplication) and returns the exit status: 0, or 64
// when the helper itself was called wrongly (no or an unknown subject).
int runCompletion(int argc, char **argv);

} // namespace rollscope

// tools/cli/head_config.mjs: the head's training settings, shared by `model train` and `model levers`.

// The original project's head: Dense 512 relu, dropout 0.5, Dense 1 sigmoid, RMSprop 1e-4,
// 6 epochs, batch 20. Command-line flags override each field.
export const DEFAULT_HEAD = {
  hidden: 512,
  dropout: 0.5,
  learningRate: 1e-4,
  epochs: 6,
  batchSize: 20,
  l2: 0,
  balanceClasses: false,
  seed: 1,
};

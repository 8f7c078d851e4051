/** Which side of a threshold is bad: `below` for scores (higher is better), `above` for errors (lower is better). */
export type Direction = 'below' | 'above';

const SCORES = new Set(['auc', 'roc', 'auroc', 'auprc', 'aupr', 'accuracy', 'acc', 'f1', 'f2', 'fbeta', 'precision', 'recall', 'r2', 'gini', 'map', 'ndcg', 'mrr', 'bleu', 'rouge', 'iou', 'dice', 'kappa', 'mcc', 'specificity', 'sensitivity', 'tpr', 'tnr', 'ks']);
const ERRORS = new Set(['loss', 'rmse', 'mse', 'mae', 'mape', 'smape', 'rmsle', 'msle', 'error', 'err', 'logloss', 'perplexity', 'fpr', 'fnr', 'brier', 'wer', 'cer', 'deviance', 'latency', 'drift']);

/**
 * The bad side of a threshold for a metric, from the words of its name
 * (`val_auc`, `test/rmse`, `meanAbsoluteError`), or undefined when its name
 * says nothing or says both: then the config must say.
 */
export function metricDirection(metric: string): Direction | undefined {
  const words = metric
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const score = words.some((w) => SCORES.has(w));
  const error = words.some((w) => ERRORS.has(w));
  if (score === error) return undefined;
  return score ? 'below' : 'above';
}

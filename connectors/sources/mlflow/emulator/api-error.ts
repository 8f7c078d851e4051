/** An MLflow error as the server raises it; routes turn it into `{error_code, message}`. */
export class MlflowApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function invalidParameter(message: string): MlflowApiError {
  return new MlflowApiError('INVALID_PARAMETER_VALUE', message);
}

export function notFound(what: string): MlflowApiError {
  return new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `${what} not found`);
}

// GitHub's error shape: `{ message, documentation_url, status }` (status is a string), plus
// `errors` on 422s. Handlers throw ApiError; the server turns it into the response.

export const DOCS = "https://docs.github.com/rest";

export interface ValidationErrorItem {
  resource?: string;
  field?: string;
  code: string;
  message?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly errors: ValidationErrorItem[] | undefined;
  readonly documentationUrl: string;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    options: {
      errors?: ValidationErrorItem[];
      documentationUrl?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.status = status;
    this.errors = options.errors;
    this.documentationUrl = options.documentationUrl ?? DOCS;
    this.headers = options.headers ?? {};
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

export const notFound = (): ApiError => new ApiError(404, "Not Found");

export const validationFailed = (errors: ValidationErrorItem[], message = "Validation Failed"): ApiError =>
  new ApiError(422, message, { errors });

/** A 422 with a single custom error, the form GitHub uses for most business-rule failures. */
export const unprocessable = (resource: string, message: string, field?: string): ApiError =>
  validationFailed([{ resource, code: "custom", ...(field ? { field } : {}), message }]);

export const forbidden = (message: string): ApiError => new ApiError(403, message);

export const unauthorized = (message = "Bad credentials"): ApiError => new ApiError(401, message);

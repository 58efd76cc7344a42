/**
 * The error catalog: stable codes, HTTP status and a Chinese message for users.
 * Errors are values; the web layer maps `code` to status and message, never a stack trace.
 */
export const ERRORS = {
  E_QUERY_EMPTY: { status: 400, message: '请输入检索词。' },
  E_QUERY_TOO_LONG: { status: 400, message: '检索式过长。' },
  E_TOO_MANY_TERMS: { status: 400, message: '检索词过多。' },
  E_BAD_PARAM: { status: 400, message: '参数不正确。' },
  E_LIMIT_RANGE: { status: 400, message: '每页条数超出允许范围。' },
  E_OFFSET_RANGE: { status: 400, message: '翻页位置超出允许范围。' },
  E_BAD_DATE: { status: 400, message: '日期格式不正确，应为 YYYY-MM-DD（某日）或 YYYY-MM（整月）。' },
  E_DATE_RANGE: { status: 400, message: '日期范围不正确：起始日期晚于截止日期。' },
  E_DOC_NOT_FOUND: { status: 404, message: '未找到该文件。' },
  E_PARAGRAPH_NOT_FOUND: { status: 404, message: '未找到该段落。' },
  E_NOT_FOUND: { status: 404, message: '页面不存在。' },
  E_RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试。' },
  E_TOO_MANY_PHRASES: { status: 400, message: '引号短语过多。' },
  E_METHOD_NOT_ALLOWED: { status: 405, message: '不支持该请求方法。' },
  E_PAYLOAD_TOO_LARGE: { status: 413, message: '请求内容过大：本服务不接受请求正文。' },
  E_URI_TOO_LONG: { status: 414, message: '请求地址过长。' },
  E_HEADERS_TOO_LARGE: { status: 431, message: '请求头或请求地址过大。' },
  E_NOT_READY: { status: 503, message: '索引正在加载，请稍后再试。' },
  E_REINDEX_FAILED: { status: 500, message: '重建索引失败。' },
  E_SYMLINK_LOOP: { status: 422, message: '符号链接循环。' },
  E_BAD_ENCODING: { status: 422, message: '文件编码无法识别。' },
  E_EMPTY_FILE: { status: 422, message: '文件为空。' },
  E_BINARY_FILE: { status: 422, message: '文件不是文本文件。' },
  E_FILE_TOO_LARGE: { status: 422, message: '文件过大。' },
  E_UNREADABLE: { status: 422, message: '文件无法读取。' },
  E_CORRUPT_FILE: { status: 422, message: '文件已损坏或格式不符，无法解析。' },
  E_NEEDS_OCR: { status: 422, message: '文件没有可用的文字层，需要先进行文字识别（OCR）。' },
  E_INDEX_MISSING: { status: 503, message: '索引不存在，请先建立索引。' },
  E_INDEX_STALE: { status: 503, message: '索引与语料或程序版本不一致，需要重建。' },
  E_INTERNAL: { status: 500, message: '服务器内部错误。' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** An error that carries a catalog code; `detail` may add a specific Chinese explanation. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  constructor(code: ErrorCode, detail?: string) {
    super(detail ? `${ERRORS[code].message}${detail}` : ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = detail;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

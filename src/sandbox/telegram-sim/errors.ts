import type { ApiFailure } from './types.js';

/** An answer `{ ok: false, ... }`; thrown by handlers, turned into the HTTP response by the server. */
export class ApiError extends Error implements ApiFailure {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: ApiFailure['parameters'],
  ) {
    super(description);
    this.name = 'ApiError';
  }

  toFailure(): ApiFailure {
    return {
      error_code: this.error_code,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

/** 400 `Bad Request: <what>`. */
export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);
/** 403 `Forbidden: <what>`. */
export const forbidden = (what: string) => new ApiError(403, `Forbidden: ${what}`);
export const notFound = () => new ApiError(404, 'Not Found');
export const unauthorized = () => new ApiError(401, 'Unauthorized');
export const tooManyRequests = (retryAfter: number) =>
  new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

/** Telegram's own wording for the errors the fake reproduces. */
export const TG = {
  chatNotFound: 'chat not found',
  textEmpty: 'message text is empty',
  textTooLong: 'message is too long',
  captionTooLong: 'message caption is too long',
  buttonDataInvalid: 'BUTTON_DATA_INVALID',
  buttonUrlInvalid: 'BUTTON_URL_INVALID',
  textButtonsInInline: "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
  editNotFound: 'message to edit not found',
  notModified:
    'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  deleteNotFound: 'message to delete not found',
  cantDelete: "message can't be deleted",
  cantEdit: "message can't be edited",
  noTextToEdit: 'there is no text in the message to edit',
  noCaptionToEdit: 'there is no caption in the message to edit',
  replyNotFound: 'message to be replied not found',
  copyNotFound: 'message to copy not found',
  forwardNotFound: 'message to forward not found',
  cantCopy: "message can't be copied",
  pinNotFound: 'message to pin not found',
  queryTooOld: 'query is too old and response timeout expired or query ID is invalid',
  threadNotFound: 'message thread not found',
  notAForum: 'the chat is not a forum',
  topicIdInvalid: 'TOPIC_ID_INVALID',
  topicClosed: 'TOPIC_CLOSED',
  topicNotModified: 'TOPIC_NOT_MODIFIED',
  blocked: 'bot was blocked by the user',
  commandInvalid: 'BOT_COMMAND_INVALID',
  commandDescriptionInvalid: 'BOT_COMMAND_DESCRIPTION_INVALID',
  commandsTooMuch: 'BOT_COMMANDS_TOO_MUCH',
  callbackAnswerTooLong: 'MESSAGE_TOO_LONG',
  userNotFound: 'user not found',
  conflictPolling: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  conflictWebhook: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  unsupportedParseMode: 'unsupported parse_mode',
  wrongFileId: 'wrong file identifier/HTTP URL specified',
  wrongAction: 'wrong parameter action in request',
} as const;

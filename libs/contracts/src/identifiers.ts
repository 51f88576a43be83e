import { z } from 'zod';

/**
 * Brand and user ids travel in URLs, NATS subjects and MongoDB keys, so they are restricted to a
 * conservative character set. '#' is deliberately absent: the codes collection uses it to mark
 * "no holder yet" (see the codes schema).
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const ID_PATTERN_DESCRIPTION =
  '1–64 characters: letters, digits, "_", "." or "-", starting with a letter or digit';

export const brandIdSchema = z.string().regex(ID_PATTERN);
export const userIdSchema = z.string().regex(ID_PATTERN);

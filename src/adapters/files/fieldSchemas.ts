/** zod schemas for values every input format shares, so they are read and refused alike. */
import { z } from 'zod';
import { badDayMessage, parseDay } from '../../core/kernel/calendar.js';

/** A calendar date `YYYY-MM-DD` in the input range (calendar.ts: 1900-01-01 to 2199-12-31). */
export const isoDay = z.string().superRefine((t, ctx) => {
  if (parseDay(t) === undefined) ctx.addIssue({ code: 'custom', message: badDayMessage(t) });
});

// HTTP-date (RFC 9110 section 5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms a
// recipient must also accept. All three are GMT; Date.parse would read asctime as local time.

const ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

/** Epoch milliseconds of an HTTP-date, or `undefined` when the text is not one. */
export function parseHttpDate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (value.length < 20 || value.length > 40) return undefined;
  const time = Date.parse(ASCTIME.test(value) ? `${value} GMT` : value);
  return Number.isNaN(time) ? undefined : time;
}

/** The IMF-fixdate of epoch milliseconds (`Sun, 06 Nov 1994 08:49:37 GMT`). */
export function formatHttpDate(time: number): string {
  return new Date(time).toUTCString();
}

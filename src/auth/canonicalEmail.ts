// The one canonical form of an email address of the embedded login: what is stored in users.email,
// what the login looks up (exact match) and what the login throttle counts by. Unicode NFKC (so
// full-width and compatibility letters become the plain ones), lower case, NFKC again (the lower case
// of some letters, such as U+0130 İ, is a sequence to keep in one form), outer spaces trimmed;
// repeated until nothing changes, so the form of a canonical form is itself.
function step(email: string): string {
  return email.normalize('NFKC').toLowerCase().normalize('NFKC').trim();
}

export function canonicalEmail(email: string): string {
  let current = email;
  for (let i = 0; i < 8; i++) {
    const next = step(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * Hides the password of URLs with credentials.
 * @example maskUrlPassword('smtp://mailer:s3cret@mail.example.com:587') → 'smtp://mailer:***@mail.example.com:587'
 */
export function maskUrlPassword(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*):[^\s/?#]*@/gi, '$1:***@');
}

/**
 * A business error as GlobalSign reports it: SuccessCode -1 (or 1 for warnings) with an Error
 * block. `field` is the dotted path below `Request`, omitted for system errors.
 *
 * @example throw new GsError('-4004', 'OrderID') // "The specified OrderID already exists. …"
 */
export class GsError extends Error {
  constructor(
    readonly code: string,
    readonly field?: string,
    message?: string,
  ) {
    super(message ?? MESSAGES[code] ?? 'The request could not be processed.');
  }
}

const MESSAGES: Record<string, string> = {
  '-1': 'Internal system error. Please try again later.',
  '-101': 'Invalid parameter. Please check the value of the parameter.',
  '-102': 'Mandatory parameter is missing. Please check the parameter.',
  '-103': 'Parameter length check error. Please check the value of the parameter.',
  '-104': 'Parameter format check error. Please check the format of the parameter.',
  '-105': 'Invalid parameter combination. Please check the parameters.',
  '-4001': 'Login failure. Please check the UserName and Password.',
  '-4003': 'The specified OrderID does not exist.',
  '-4004': 'The specified OrderID already exists. Please get a new OrderID with GetDVApproverList.',
  '-4005': 'The request was refused because of a logical limitation of the order state.',
  '-4006': 'The common name in the CSR differs from the common name of the original order.',
  '-4007': 'The CSR is invalid. Please check the CSR.',
  '-4009': 'The ApproverEmail is not one of the approver addresses of this domain.',
  '-4016': 'The certificate has already been reissued. Please reissue the latest order.',
  '-4147': 'Unable to verify the domain. Please check that the verification token has been published.',
  '-4201': 'This IP Address is not registered for API access. Please contact support to add it.',
  '-5001': 'The order matched the phishing keyword check and is held for manual review.',
  '-6017': 'The number of SAN entries exceeds the maximum of 100.',
  '-6018': 'A SubjectAltName is invalid.',
  '-6021': 'The common name in the CSR does not match the FQDN of the order.',
  '-6101': 'The account balance is too low for this order.',
  '-6102':
    'The renewal failed: the original order must be issued, have the same common name and not be renewed already.',
  '-9152': 'The ApproverURL format is incorrect.',
  '-9901': 'The ProductCode is not allowed for this operation.',
  '-9902': 'You do not have permission for this OrderID.',
  '-9915': 'The order has already been cancelled.',
  '-9916': 'The OrderID was not found.',
  '-9925': 'The common name does not match the BaseOption.',
  '-9933': 'The span between NotBefore and NotAfter exceeds the ordered Months.',
  '-9936': 'The key is too weak. RSA keys need 2048 bits or more; ECC keys P-256 or P-384.',
  '-9938': 'The order has already been modified.',
  '-9940': 'NotBefore or NotAfter lies in the past.',
  '-9949': 'NotAfter lies beyond the baseline validity limit.',
  '-9961': 'The ECC curve is not allowed. Use P-256 or P-384.',
};

import type { ExtendedValidation, Organization } from '../../src/provisioning/processing-module.ts';

/** Organization data an OV or EV order accepts. */
export const ORGANIZATION: Organization = {
  name: 'Example Ltd',
  unit: 'IT',
  address: {
    line1: '1 Example Street',
    city: 'London',
    region: 'London',
    postalCode: 'EC1A 1AA',
    country: 'GB',
    phone: '+44 20 7946 0000',
  },
};

const PERSON = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  title: 'CTO',
  organizationName: 'Example Ltd',
  organizationUnit: 'IT',
  phone: '+44 20 7946 0000',
  email: 'ada@example.com',
};

/** The EV parts an EV order accepts. */
export const EXTENDED_VALIDATION: ExtendedValidation = {
  businessCategory: 'private-organization',
  requestor: PERSON,
  approver: { ...PERSON, firstName: 'Charles', lastName: 'Babbage', email: 'charles@example.com' },
  signer: {
    organizationName: 'Example Ltd',
    firstName: 'Grace',
    lastName: 'Hopper',
    title: 'CEO',
    phone: '+44 20 7946 0001',
    email: 'grace@example.com',
  },
  jurisdiction: { country: 'GB', registrationNumber: '01234567' },
};

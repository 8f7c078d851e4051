import { missingFieldPolicy } from './missing-field';

/** An asset nobody answers for: no owner on the model, or on a live deployment. */
export const missingOwnerPolicy = missingFieldPolicy('missing-owner', 'owner', 'owner');

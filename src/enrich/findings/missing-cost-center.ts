import { missingFieldPolicy } from './missing-field';

/** An asset whose cost nobody is charged for: no cost center on the model, or on a live deployment. */
export const missingCostCenterPolicy = missingFieldPolicy('missing-cost-center', 'costCenter', 'cost center');

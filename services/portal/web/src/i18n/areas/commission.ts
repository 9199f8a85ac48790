import { catalogue } from '../catalogue';

export const commissionMessages = catalogue({}, { bg: {}, sv: {} });

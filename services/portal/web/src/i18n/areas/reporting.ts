import { catalogue } from '../catalogue';

export const reportingMessages = catalogue({}, { bg: {}, sv: {} });

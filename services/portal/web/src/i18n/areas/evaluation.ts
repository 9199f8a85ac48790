import { catalogue } from '../catalogue';

export const evaluationMessages = catalogue({}, { bg: {}, sv: {} });

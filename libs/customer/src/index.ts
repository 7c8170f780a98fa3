/**
 * The customer aggregate (events, state, decider, payment-reference reservation), its application layer and its fact read models.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#customer`).
 */
export { CustomerAccessPolicy } from './application/customer-access.policy';
export { customerStream, ExecuteCustomerCommand, ExecuteCustomerCommandHandler } from './application/customer-commands';
export { CustomerHistoryPage, GetCustomerHistory, GetCustomerHistoryHandler } from './application/customer-history.query';
export { REP_DIRECTORY } from './application/rep-directory.port';
export type { RepDirectory } from './application/rep-directory.port';
export type { CustomerCommand } from './domain/customer.commands';
export { decideCustomer } from './domain/customer.decider';
export { CUSTOMER_EVENT_SHAPES } from './domain/customer.event-shapes';
export { CHURN_KINDS, COMPLAINT_CATEGORIES, CONTACT_ROLES, CUSTOMER_CATEGORY, GRADES, ISSUE_CATEGORIES, PRODUCTS, VISIT_CHANNELS, VISIT_LEVELS, VISIT_PURPOSES } from './domain/customer.events';
export type { ChurnKind, ComplaintCategory, CustomerEvent, CustomerEventType, Grade, IssueCategory, Product, VisitChannel, VisitLevel, VisitPurpose } from './domain/customer.events';
export { evolveCustomer, initialCustomerState } from './domain/customer.state';
export type { CustomerState, KnownCustomer } from './domain/customer.state';
export { visitWithoutIncompleteEffect } from './domain/repairs';
export { CUSTOMER_DIRECTORY_COLLECTION, CUSTOMER_DIRECTORY_PUBLISHED_NAME, CUSTOMER_FACTS_PROJECTION, CUSTOMER_FACTS_READ_MODEL, CUSTOMERS_COLLECTION, DIRECTORY_BY_NAME, DIRECTORY_BY_SALES_REP, DIRECTORY_BY_SERVICE_REP, DIRECTORY_BY_TERM_END, NAME_KEY_SEPARATOR, nameSearchKey, openWorkOf } from './read-models/customer-facts.doc';
export type { ComplaintFact, CustomerDirectoryDoc, CustomerFactsDoc, FollowUpFact, IssueFact, ReminderFact, RenewalFact, TermFact, VisitFact } from './read-models/customer-facts.doc';
export { customerFactsProjection, directoryRowOf, evolveCustomerFacts } from './read-models/customer-facts.projection';
export type { CustomerFactsEvent } from './read-models/customer-facts.projection';
export { contactsInWindow, describeQuiet, highestTier, isChurnedAsOf, isRenewedAsOf, isServiceRepContact, lastContactOn, latest, quietSince, remindersFor, repAssignedAt, termAt, termsKnownAsOf, windowStart } from './read-models/customer-timeline';
export type { Quiet } from './read-models/customer-timeline';
export { visitQuality } from './read-models/visit-quality';
export type { MultiHeadCase, MultiHeadVisit, SatisfactionFigures, VisitQuality, VisitQualityFigures } from './read-models/visit-quality';
export { weeklyFeedback } from './read-models/weekly-feedback';
export type { CategoryCounts, CategoryRow, FeedbackCategory, FeedbackItem, IssueItem, IssueStatus, WeeklyFeedback } from './read-models/weekly-feedback';

import { Construct } from 'constructs';
import { InferenceProvider } from '../inference/types';
import { GatewayImplementation } from '../migration/gateway-implementation';
import { InferenceMigrationProps } from '../migration/inference-migration-props';
import { IMigration } from '../migration/migration';
import { SimpleMigration } from '../migration/simple-migration';
import { ZeroDowntimeMigration } from '../migration/zero-downtime-migration';

/**
 * The built-in examples: the migrations of the upstream guides, with their exact names.
 */
export class GuideExamples {
  /**
   * The zero-downtime migration of guide 000 (Gateway API Inference Extension, v1alpha2 to v1): alpha pool
   * `vllm-llama3-8b-instruct-alpha` installed by Helm, GA pool `vllm-llama3-8b-instruct-ga`, objectives
   * `food-review` (priority 1) and `base-model` (priority 2), HTTPRoute `llm-route` on Gateway
   * `inference-gateway`, a 50/50 shift.
   */
  public static zeroDowntime(scope: Construct, id: string = 'vllm-llama3-8b-instruct'): ZeroDowntimeMigration {
    return new ZeroDowntimeMigration(scope, id, { ...guideMigration('vllm-llama3-8b-instruct-alpha', 1), steps: [50] });
  }

  /**
   * The same migration as GKE's guide shows it (seeds 001 and 003): provider `gke`, gateway class
   * `gke-l7-regional-external-managed`, alpha pool `vllm-llama3-8b-instruct-preview`, both objectives at
   * priority 2.
   */
  public static gke(scope: Construct, id: string = 'vllm-llama3-8b-instruct-gke'): ZeroDowntimeMigration {
    const guide = guideMigration('vllm-llama3-8b-instruct-preview', 2);
    return new ZeroDowntimeMigration(scope, id, {
      ...guide,
      gaPool: { ...guide.gaPool, provider: InferenceProvider.GKE },
      gatewayClassName: 'gke-l7-regional-external-managed',
      gatewayImplementation: GatewayImplementation.GKE,
      steps: [50],
    });
  }

  /** The simple path (with downtime) of guide 000, for the same pools. */
  public static simple(scope: Construct, id: string = 'vllm-llama3-8b-instruct-simple'): SimpleMigration {
    return new SimpleMigration(scope, id, guideMigration('vllm-llama3-8b-instruct-alpha', 1));
  }

  /** Every built-in example, GKE variant included. */
  public static all(scope: Construct): IMigration[] {
    return [GuideExamples.zeroDowntime(scope), GuideExamples.gke(scope), GuideExamples.simple(scope)];
  }

  private constructor() {}
}

/**
 * What every guide shares: the alpha pool installed by Helm (under `alphaName`), the GA pool
 * `vllm-llama3-8b-instruct-ga` on the same pods, the objectives `food-review` and `base-model`, and the
 * HTTPRoute `llm-route` on the Gateway `inference-gateway`.
 */
function guideMigration(alphaName: string, foodReviewPriority: number): InferenceMigrationProps {
  return {
    alphaPool: {
      existing: {
        name: alphaName,
        modelServerSelector: { app: 'vllm-llama3-8b-instruct' },
        targetPort: 8000,
        helmRelease: alphaName,
      },
    },
    gaPool: { name: 'vllm-llama3-8b-instruct-ga' },
    objectives: [
      { name: 'food-review', priority: foodReviewPriority },
      { name: 'base-model', priority: 2 },
    ],
    gateway: { name: 'inference-gateway' },
    routeName: 'llm-route',
  };
}

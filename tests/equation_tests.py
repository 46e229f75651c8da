"""Which test verifies each equation of the registry (mlpcore.course.equations).

A pytest node id per label. It lives beside the tests, not in the installed package: a student
who installs mlpcore has no tests/ folder. ``test_equations.py`` checks that every registered
label has one and that each names an existing test function.
"""

TESTS: dict[str, str] = {
    "eq-g": "tests/test_activations.py::test_elementwise_on_vectors_and_batches",
    "eq-h": "tests/test_forward.py::test_h_is_b_plus_w_a",
    "eq-Ltilde": "tests/test_equations_verified.py::test_Ltilde_0_is_the_nested_composition",
    "eq-Ltilde-rec": "tests/test_equations_verified.py::test_Ltilde_recursion",
    "eq-forward": "tests/test_forward.py::test_forward_equals_the_index_loop",
    "eq-forward-batch": "tests/test_forward.py::test_a_batch_is_the_samples_side_by_side",
    "eq-dL-def": "tests/test_gradcheck.py::test_dL_is_the_derivative_of_L_k_with_respect_to_z_k",
    "eq-dLp": "tests/test_losses.py::test_gradient_is_the_derivative",
    "eq-chain": "tests/test_equations_verified.py::test_chain_rule_through_one_layer",
    "eq-Dg": "tests/test_activations.py::test_g_prime_is_the_derivative_of_g",
    "eq-Dh-a": "tests/test_equations_verified.py::test_Dh_in_a_is_w",
    "eq-dLk": "tests/test_gradcheck.py::test_dL_is_the_derivative_of_L_k_with_respect_to_z_k",
    "eq-dLk-elementwise": "tests/test_backward.py::test_vectorised_equals_the_index_loops",
    "eq-squared-error": "tests/test_losses.py::test_squared_error_values",
    "eq-softmax-xent": "tests/test_losses.py::test_softmax_cross_entropy_values",
    "eq-dB": "tests/test_backward.py::test_vectorised_equals_the_index_loops",
    "eq-dB-batch": "tests/test_backward.py::test_batch_gradient_is_the_sum_of_per_sample_gradients",
    "eq-dW": "tests/test_gradcheck.py::test_every_gradient_passes_central_differences",
    "eq-dW0": "tests/test_equations_verified.py::test_dW0_is_dL1_times_x_transposed",
    "eq-dW-batch": "tests/test_backward.py::test_batch_gradient_is_the_sum_of_per_sample_gradients",
    "eq-objective": "tests/test_equations_verified.py::test_objective_is_the_mean_of_L0",
    "eq-update": "tests/test_hand_example.py::test_one_step_matches_the_hand_computation",
    "eq-minibatch": "tests/test_equations_verified.py::test_minibatch_step_uses_the_mean_gradient",
    "eq-dL-unrolled": "tests/test_depth.py::test_unrolled_product_is_the_recursion",
    "eq-depth-gain": "tests/test_depth.py::test_layer_gain_predicts_the_measured_ratio",
    "eq-init-variance": "tests/test_depth.py::test_drawn_weights_have_the_scheme_variance",
    "eq-step-contraction": "tests/test_equations_verified.py::test_step_contracts_a_quadratic",
}
